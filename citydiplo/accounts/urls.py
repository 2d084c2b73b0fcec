from django.urls import path

from citydiplo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.login_verify, name="login-verify"),
    path("logout/", views.auth_views.LogoutView.as_view(), name="logout"),
    path("organisation/", views.organisation_detail, name="organisation"),
    path("organisation/terms/new/", views.term_create, name="term-create"),
    path("security/", views.security, name="security"),
    path("security/two-step/start/", views.totp_enrol_start, name="totp-enrol-start"),
    path("security/two-step/", views.totp_enrol, name="totp-enrol"),
    path("security/two-step/off/", views.totp_disable, name="totp-disable"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
