// Command pulumi-tfgen-random writes the random provider's Pulumi schema and bridge metadata
// (`schema --out DIR`). Upstream commits both files in the provider module the proxy refuses, so
// tools/toolchain.sh generates them from the same bridge and Terraform provider instead, into
// ../embed/ (gitignored), before it builds the provider that embeds them.
//
// RANDOM_UPSTREAM_DIR: the Terraform provider's module folder; its docs/ become the schema's
// descriptions (without it the schema is the same, with empty descriptions).
package main

import (
	"os"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	"multicloud-platform/tools/random/info"
)

// version is set by -ldflags -X main.version (tools/versions.env PULUMI_RANDOM_VERSION).
var version = "0.0.0-dev"

func main() {
	prov := info.Provider(version, nil)
	prov.UpstreamRepoPath = os.Getenv("RANDOM_UPSTREAM_DIR")
	tfgen.Main("random", prov)
}
