// Command pulumi-language-nodejs is a small Pulumi language host for Node.js programs.
//
// The engine starts it with optional logging/tracing flags and the engine address as the last
// argument; it must print the port of its gRPC server as the first line on stdout. Programs are
// run through the `@pulumi/pulumi/cmd/run` entry point of the program's own node_modules, so the
// SDK version the program installed decides the wire protocol with the engine.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// version is set with -ldflags at build time; it is what GetPluginInfo reports.
var version = "0.0.0-dev"

func main() {
	engineAddress, tracing := parseArgs(os.Args[1:])

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-nodejs: could not find node on $PATH:", err)
		os.Exit(1)
	}

	host := &nodeHost{nodeBin: nodeBin, engineAddress: engineAddress, tracing: tracing}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-nodejs: could not start gRPC server:", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-nodejs: gRPC server stopped:", err)
		os.Exit(1)
	}
}

// parseArgs is deliberately lenient: engines of different ages pass different flags
// (-root, -typescript, --logtostderr, -v=N, --tracing X), and an unknown flag must not stop the
// host. The engine address is always the last positional argument.
func parseArgs(args []string) (engineAddress, tracing string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			engineAddress = a
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "tracing" {
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			tracing = value
		}
	}
	return engineAddress, tracing
}
