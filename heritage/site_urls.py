"""Site-shell pages under the language prefix: about, contact, the language's sitemap."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "site"

urlpatterns = [
    path("about/", views.about, name="about"),
    path("contact/", views.contact, name="contact"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    # Teachers and community members sign in here; Wagtail's admin login is for officers.
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="heritage/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
