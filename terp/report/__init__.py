"""`python -m seed_data report`: how a TERP database's business looks, against the targets
a realistic dataset should meet. `figures` holds every figure's SQL, `lines` turns the
figures into lines with their targets, `page` renders the optional HTML page."""
