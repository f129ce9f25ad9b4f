"""Check a Verifiable Credential file: `manage.py verify_credential credential.json`.

Prints the result; the exit code is 0 only for a valid credential (1 tampered, 2 revoked, 3 unknown,
4 reissued under a corrected name, 5 unreadable file)."""

import sys

from django.core.management.base import BaseCommand

from certification.credentials import Status, credential_parse, credential_verify

EXIT_CODES = {Status.VALID: 0, Status.TAMPERED: 1, Status.REVOKED: 2, Status.UNKNOWN: 3, Status.SUPERSEDED: 4}
UNREADABLE = 5


class Command(BaseCommand):
    help = "Verify a certificate's Verifiable Credential (JSON file): signature, then the certificate's state."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the credential file, or - for standard input.")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                raw = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as handle:
                    raw = handle.read()
        except OSError as error:
            self.stderr.write(f"unreadable: {error}")
            sys.exit(UNREADABLE)
        credential = credential_parse(raw)
        if credential is None:
            self.stderr.write("unreadable: not JSON")
            sys.exit(UNREADABLE)
        result = credential_verify(credential)
        line = result.status
        if result.certificate is not None:
            line += f" {result.certificate.serial} {result.certificate.holder_name}"
        (self.stdout if result.ok else self.stderr).write(line)
        if not result.ok:
            sys.exit(EXIT_CODES[result.status])
