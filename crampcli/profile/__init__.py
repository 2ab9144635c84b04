"""Who the user is: the profile file (store), its commands (cli) and its page (view)."""
