// Connects the page to the portal's progress hub (/hubs/progress) with the SignalR client from npm (copied into
// wwwroot/lib/signalr by the build), watches one plan or staff's operations view, and passes every message on to the
// Blazor component through its DotNetObjectReference. On reconnect it watches again and asks for a fresh snapshot.
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

async function subscribe(state) {
    if (state.kind === "operations") {
        await state.connection.invoke("WatchOperations");
    } else {
        await state.connection.invoke("WatchPlan", state.planId);
    }
}

function report(state, method, ...args) {
    // A component already gone must not fail the connection's handlers.
    if (!state.stopped) {
        state.dotNet.invokeMethodAsync(method, ...args).catch(() => { });
    }
}

export async function watch(dotNet, kind, planId) {
    const signalR = await loadSignalR();
    const connection = new signalR.HubConnectionBuilder()
        .withUrl(new URL("hubs/progress", document.baseURI).href)
        .withAutomaticReconnect()
        .configureLogging(signalR.LogLevel.Warning)
        .build();
    const state = { connection, dotNet, kind, planId, stopped: false };

    connection.on("CopyProgress", message => report(state, "CopyProgress", message));
    connection.on("OperationsProgress", message => report(state, "OperationsProgress", message));
    connection.on("PlanChanged", () => report(state, "Reload"));
    connection.onreconnecting(() => report(state, "ConnectionChanged", false));
    connection.onreconnected(async () => {
        // Group membership does not survive a new connection: watch again, then read what was missed.
        try {
            await subscribe(state);
            report(state, "ConnectionChanged", true);
            report(state, "Reload");
        } catch {
            report(state, "ConnectionChanged", false);
        }
    });
    connection.onclose(() => report(state, "ConnectionChanged", false));

    await connection.start();
    await subscribe(state);
    report(state, "ConnectionChanged", true);
    return state;
}

export async function stop(state) {
    if (!state || state.stopped) {
        return;
    }

    state.stopped = true;
    await state.connection.stop();
}
