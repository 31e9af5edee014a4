// Package codegen holds the one type the docker-build provider uses from the .NET language
// host's codegen: the "csharp" language section of a package schema (JSON names as upstream's).
package codegen

// CSharpPackageInfo is the "csharp" entry of a schema's language map.
type CSharpPackageInfo struct {
	RespectSchemaVersion bool              `json:"respectSchemaVersion,omitempty"`
	PackageReferences    map[string]string `json:"packageReferences,omitempty"`
}
