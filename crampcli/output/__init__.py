"""The output layer: pages as blocks, laid out as plain text, colour or JSON, and written out."""
