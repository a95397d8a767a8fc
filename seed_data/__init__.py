"""Helpers behind TERP's seed revisions: settings, database, ids, COPY, ledger, rollback."""
