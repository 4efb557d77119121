"""The service layer: the Discogs client, rate governor, disk cache. Never imports textual."""
