"""A trigram index for the admin's search of email addresses (allauth's table), on PostgreSQL
(see `_trigram`)."""

from django.db import migrations

from accounts.migrations import _trigram

INDEXES = {"account_emailaddress_email_trgm": ("account_emailaddress", "email")}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0004_user_search_trigram"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(_trigram.creator(INDEXES), _trigram.dropper(INDEXES))]
