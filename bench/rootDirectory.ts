/**
 * Side effect, imported first by the eval runner: names the project folder as the engine does
 * (PULUMI_NODEJS_ROOT_DIRECTORY). @pulumi/pulumi reads it once when first required; without it
 * the mocked settings name the literal folder "rootDirectory" and the config check finds no Dockerfile.
 */
import * as path from "path";

process.env.PULUMI_NODEJS_ROOT_DIRECTORY ??= path.resolve(__dirname, "..", "..");
