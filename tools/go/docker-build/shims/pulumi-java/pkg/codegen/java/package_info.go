// Package java holds the one type the docker-build provider uses from pulumi-java's codegen:
// the Java language section of a package schema. Written here because the upstream module
// cannot be fetched; the JSON names match the schema's Java language section.
package java

// PackageInfo is the "java" entry of a schema's language map.
type PackageInfo struct {
	BuildFiles                      string            `json:"buildFiles,omitempty"`
	GradleNexusPublishPluginVersion string            `json:"gradleNexusPublishPluginVersion,omitempty"`
	Dependencies                    map[string]string `json:"dependencies,omitempty"`
}
