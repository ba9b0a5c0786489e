"""The Textual app: screens and widgets. It renders engine reports and sends commands; no math here."""
