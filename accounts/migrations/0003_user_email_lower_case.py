"""Emails stored lower-case, so the login looks a user up by the unique index on `email`.

The old case-insensitive unique index on LOWER(email) is replaced by a check that the stored
email is already lower-case: with it, the plain unique index is case-insensitive too. Existing
rows are lower-cased first; LOWER(email) was unique, so no two rows can collide.
"""

from django.db import migrations, models
from django.db.models.functions import Lower


def lower_case_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(email=Lower("email")).only("pk", "email").iterator():
        User.objects.filter(pk=user.pk).update(email=user.email.lower())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_time_zone")]

    operations = [
        migrations.RunPython(lower_case_emails, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(model_name="user", name="accounts_user_email_ci_unique"),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="accounts_user_email_lower_case"
            ),
        ),
    ]
