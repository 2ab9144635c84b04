"""The guide's content: YAML files read, validated and cached as frozen records."""
