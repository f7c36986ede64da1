// Hears "NotificationsChanged" on the portal's progress hub (/hubs/progress), which the server sends to this signed-in
// user only (SignalR's user id: the portal's user id) and, with the Redis backplane, from whichever node saved the
// notification. The message carries nothing: the bell reloads its own rows through the circuit.
let loading;

function loadSignalR() {
    if (window.signalR) {
        return Promise.resolve(window.signalR);
    }

    loading ??= new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = new URL("lib/signalr/signalr.min.js", document.baseURI).href;
        script.onload = () => resolve(window.signalR);
        script.onerror = () => reject(new Error("The SignalR client could not be loaded"));
        document.head.appendChild(script);
    });
    return loading;
}

export async function listen(dotNet) {
    const signalR = await loadSignalR();
    const connection = new signalR.HubConnectionBuilder()
        .withUrl(new URL("hubs/progress", document.baseURI).href)
        .withAutomaticReconnect()
        .configureLogging(signalR.LogLevel.Warning)
        .build();
    const state = { connection, stopped: false };
    const changed = () => {
        if (!state.stopped) {
            dotNet.invokeMethodAsync("Changed").catch(() => { });
        }
    };

    connection.on("NotificationsChanged", changed);
    // Whatever was saved while the connection was down is read again once it is back.
    connection.onreconnected(changed);
    await connection.start();
    return state;
}

export async function stop(state) {
    if (!state || state.stopped) {
        return;
    }

    state.stopped = true;
    await state.connection.stop();
}
