"""The officers' coverage dashboard (figures in ``archive.services.coverage``) and the CSV
downloads it shares with the audit log."""
