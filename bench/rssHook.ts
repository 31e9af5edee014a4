/** `node --require bin/bench/rssHook.js …`: writes this process's peak RSS (kB) to $BENCH_RSS_FILE at exit. */
import * as fs from "fs";

const target = process.env.BENCH_RSS_FILE;
if (target !== undefined && target !== "") {
    process.on("exit", () => {
        fs.writeFileSync(target, String(process.resourceUsage().maxRSS));
    });
}
