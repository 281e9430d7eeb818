"""The live chat ("messagerie instantanée"): conversations, presence, hours, consumers."""
