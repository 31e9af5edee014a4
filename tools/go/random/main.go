// Command pulumi-resource-random serves the Pulumi random provider (resource plugin "random").
//
// Upstream's main embeds a schema and bridge metadata that live only in its refused provider
// module; tools/toolchain.sh generates them with ./tfgen into embed/ (gitignored) first. The
// version (= npm @pulumi/random's) is set by ldflags.
package main

import (
	"context"
	"encoding/json"
	_ "embed"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"multicloud-platform/tools/random/info"
)

//go:embed embed/schema.json
var schema []byte

//go:embed embed/bridge-metadata.json
var bridgeMetadata []byte

// version is set by -ldflags -X main.version (tools/versions.env PULUMI_RANDOM_VERSION).
var version = "0.0.0-dev"

func main() {
	pf.Main(context.Background(), "random", info.Provider(version, bridgeMetadata), pf.ProviderMetadata{
		PackageSchema:  withVersion(schema, version),
		BridgeMetadata: bridgeMetadata,
	})
}

// withVersion fills in the version tfgen leaves out of the schema (upstream's generate.go step).
func withVersion(spec []byte, version string) []byte {
	var doc map[string]any
	if err := json.Unmarshal(spec, &doc); err != nil {
		panic(err)
	}
	doc["version"] = version
	out, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return out
}
