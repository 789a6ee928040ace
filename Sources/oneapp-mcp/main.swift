print("oneapp-mcp: not yet")
