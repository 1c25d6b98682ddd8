print("permit-card: not yet built")
