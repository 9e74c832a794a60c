"""Trigram indexes for the admin's user search, on PostgreSQL (see `_trigram`): without them
every search by email or name reads every user."""

from django.db import migrations

from accounts.migrations import _trigram

INDEXES = {
    "accounts_user_email_trgm": ("accounts_user", "email"),
    "accounts_user_display_name_trgm": ("accounts_user", "display_name"),
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("accounts", "0003_user_email_lower_case")]

    operations = [migrations.RunPython(_trigram.creator(INDEXES), _trigram.dropper(INDEXES))]
