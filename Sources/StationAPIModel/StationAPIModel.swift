// The local API's types (schemas, operations, inputs and outputs) are generated at build time from
// openapi.yaml in this directory by swift-openapi-generator; StationAPI (the server) and StationClient
// (the officer CLI's client) generate their halves from the same document (symbolic links to it).
