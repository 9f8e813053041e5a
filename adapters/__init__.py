"""Platform edges: each adapter turns payloads into core calls and neutral
messages into what its platform shows. Nothing else lives here."""
