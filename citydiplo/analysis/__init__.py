"""The ecosystem of city networks: graphs from the registry (python-igraph), network power, overlap and
fatigue, peers and partner suggestions, maps."""
