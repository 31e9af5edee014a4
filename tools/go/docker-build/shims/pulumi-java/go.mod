// A stand-in for github.com/pulumi/pulumi-java, which the Go module proxy refuses at every
// version tried (v1.12.0 … v1.31.0). The docker-build provider imports it only to describe the
// Java SDK's build settings in its schema; the engine never reads them.
module github.com/pulumi/pulumi-java

go 1.26
