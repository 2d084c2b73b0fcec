from django.urls import path

from citydiplo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.login_verify, name="login-verify"),
    path("logout/", views.auth_views.LogoutView.as_view(), name="logout"),
    path("organisation/", views.organisation_detail, name="organisation"),
    path("organisation/switch/", views.organisation_switch, name="organisation-switch"),
    path("organisation/shared/", views.organisation_shared, name="organisation-shared"),
    path("organisation/terms/new/", views.term_create, name="term-create"),
    path("organisation/invitations/new/", views.invitation_create, name="invitation-create"),
    path("organisation/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("organisation/members/<int:pk>/role/", views.member_role_change, name="member-role"),
    path("organisation/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("organisation/leave/", views.organisation_leave, name="organisation-leave"),
    path("organisation/transfer/", views.ownership_transfer, name="ownership-transfer"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation"),
    path("security/", views.security, name="security"),
    path("security/two-step/start/", views.totp_enrol_start, name="totp-enrol-start"),
    path("security/two-step/", views.totp_enrol, name="totp-enrol"),
    path("security/two-step/off/", views.totp_disable, name="totp-disable"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
