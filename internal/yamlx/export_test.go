package yamlx

import "gopkg.in/yaml.v3"

// ParseFast exposes parseFast to the differential tests in package
// yamlx_test, which compare it with yaml.v3 on generated banks.
func ParseFast(data []byte) (*yaml.Node, bool) { return parseFast(data, nil) }

// EstimateNodes exposes the fast parser's node estimate of data.
func EstimateNodes(data []byte) int {
	p := fastParser{data: data}
	if !p.splitLines() {
		return 0
	}
	return p.estimateNodes()
}
