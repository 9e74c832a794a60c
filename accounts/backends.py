"""The project's authentication backends: Django's and allauth's, with one faster read.

Every signed-in request loads the session's user (`get_user`). The stock backends build that
query through the ORM each time, which costs more than the rest of a signed-in page's queries
together (curso/prepared_queries.py); these run the same query, compiled once. Logging in
(`authenticate`) is unchanged.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from curso.prepared_queries import PreparedQuery

from .models import User

USER_BY_ID = PreparedQuery(lambda pk: User._default_manager.filter(pk=pk), -1)


class FastUserMixin:
    def get_user(self, user_id):
        try:
            found = USER_BY_ID.instances(int(user_id))
        except (TypeError, ValueError):
            return None
        if found and self.user_can_authenticate(found[0]):
            return found[0]
        return None


class EmailBackend(FastUserMixin, ModelBackend):
    """Django's ModelBackend: logs in with email and password (`User.USERNAME_FIELD`)."""


class AllauthBackend(FastUserMixin, AuthenticationBackend):
    """allauth's backend: the one allauth records for logins without a password (after
    confirming an email, a signup)."""
