"""Fixed value lists the generators draw from; each module says where its values come from."""
