package yamlx

// ParseFast exposes parseFast to the differential tests in package
// yamlx_test, which compare it with yaml.v3 on generated banks.
var ParseFast = parseFast
