// The built-in TCP proxy of the swarm target (see docs/swarm.md): used where the kernel has no
// IPVS, so Swarm's routing mesh cannot route. Spreads connections round-robin over the tasks
// of one service, found by DNS on the overlay network (tasks.<service>), refreshed every 2 s;
// a task that refuses a connection is skipped for that connection.
"use strict";
const net = require("net");
const dns = require("dns").promises;

const listenPort = Number(process.env.LISTEN_PORT || 8080);
const targetHost = process.env.TARGET_HOST;
const targetPort = Number(process.env.TARGET_PORT);
if (!targetHost || !targetPort) {
    console.error("proxy: TARGET_HOST and TARGET_PORT must be set");
    process.exit(2);
}

let addresses = [];
let next = 0;

async function refresh() {
    try {
        addresses = (await dns.resolve4(targetHost)).sort();
    } catch {
        addresses = [];
    }
}

function forward(client, attempt) {
    if (addresses.length === 0 || attempt >= addresses.length) {
        client.destroy();
        return;
    }
    const address = addresses[next++ % addresses.length];
    const upstream = net.connect({ host: address, port: targetPort });
    let connected = false;
    upstream.setNoDelay(true);
    upstream.once("connect", () => {
        connected = true;
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
    });
    upstream.on("error", () => {
        if (connected) client.destroy();
        else forward(client, attempt + 1);
    });
    client.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
}

const server = net.createServer({ pauseOnConnect: true }, (client) => forward(client, 0));

refresh().then(() => {
    setInterval(refresh, 2000);
    server.listen(listenPort, () => console.log(`proxy: :${listenPort} -> ${targetHost}:${targetPort}`));
});

process.on("SIGTERM", () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
});
