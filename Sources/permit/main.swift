print("permit: not yet built")
