"""Who holds an email address, and an email change that only takes effect once verified.

With ``ACCOUNT_CHANGE_EMAIL`` allauth keeps the address a person wants to move to as an unverified
``EmailAddress`` row next to the current one. Two rules keep that safe:

- the current address is ``User.email``: it stays the login until the new address is verified
  (allauth's own ``add_new_email`` takes an unverified *current* address for a pending one, deletes
  it and leaves ``User.email`` empty);
- a pending address (unverified and not the account's ``User.email``) is only a claim: it never
  blocks the real owner of the address from signing up with it.
"""

from allauth.account.internal.flows.email_verification import send_verification_email_to_address
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import User, canonical_email


def pending_addresses(user: User) -> QuerySet[EmailAddress]:
    """Addresses `user` asked to change to and has not verified yet."""
    return EmailAddress.objects.filter(user_id=user.pk, verified=False).exclude(
        email__iexact=user.email
    )


def pending_claims_on(email: str) -> QuerySet[EmailAddress]:
    """Every account's unverified request to change to `email` (not anyone's login)."""
    email = canonical_email(email)
    return EmailAddress.objects.filter(email=email, verified=False).exclude(user__email=email)


def email_is_held(email: str, *, exclude_user: User | None = None) -> bool:
    """Is `email` an account's login or a verified address (other than `exclude_user`'s)?"""
    email = canonical_email(email)  # both tables store emails lower-case: indexed lookups
    users = User.objects.filter(email=email)
    addresses = EmailAddress.objects.filter(email=email, verified=True)
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user.pk)
        addresses = addresses.exclude(user_id=exclude_user.pk)
    return users.exists() or addresses.exists()


def drop_pending_claims(*, request: HttpRequest, email: str) -> int:
    """Remove other accounts' change requests to `email` (its owner is signing up with it).

    Their links stop working. allauth mails one link per address every few minutes: the claimant's
    mail must not hold back the owner's, so that count starts again.
    """
    deleted, _ = pending_claims_on(email).delete()
    if deleted:
        ratelimit.clear(request, app="allauth.account", action="confirm_email", key=email.lower())
    return deleted


def email_change_request(*, request: HttpRequest, user: User, email: str) -> EmailAddress:
    """Replace `user`'s pending change (if any) by `email` and mail the verification link.

    The current address (``User.email``) is left alone: it switches only when the link is followed.
    """
    with transaction.atomic():
        pending_addresses(user).delete()
        address = EmailAddress.objects.create(user=user, email=email.lower())
    send_verification_email_to_address(request, address)
    return address
