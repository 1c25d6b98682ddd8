// Placeholder until this layer lands; see README.md.
