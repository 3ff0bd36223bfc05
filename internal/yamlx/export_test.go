package yamlx

// ParseFast exposes parseFast to the differential tests in package
// yamlx_test, which compare it with yaml.v3 on generated banks.
var ParseFast = parseFast

// EstimateNodes exposes the fast parser's node estimate of data.
func EstimateNodes(data []byte) int {
	p := fastParser{data: data}
	if !p.splitLines() {
		return 0
	}
	return p.estimateNodes()
}
