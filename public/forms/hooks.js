// The forms demo's client hook: loaded after /stratus/client.js (both deferred, so in order).
// It draws a bar per ping into its data-ignore area (the morph leaves that alone), sends an
// action with pushEvent and shows the server's pushed "pong" events with handleEvent.
// window.hookLog records its lifecycle for the browser tests.
window.hookLog = [];
window.Stratus.hooks.Pings = {
  mounted() {
    window.hookLog.push("mounted");
    const area = this.el.querySelector(".hook-area");
    area.innerHTML = '<button type="button" id="hook-ping">Ping from the hook</button> <span id="hook-last">no pong yet</span><div id="hook-bars"></div>';
    area.querySelector("#hook-ping").addEventListener("click", () => this.pushEvent("ping", { by: 1 }));
    this.handleEvent("pong", (detail) => {
      window.hookLog.push(`pong:${detail.pings}`);
      area.querySelector("#hook-last").textContent = `pong ${detail.pings}`;
    });
    this.draw();
  },
  updated() {
    window.hookLog.push(`updated:${this.el.dataset.pings}`);
    this.draw();
  },
  destroyed() {
    window.hookLog.push("destroyed");
  },
  draw() {
    const bars = this.el.querySelector("#hook-bars");
    bars.style.cssText = `height:8px;background:#29d;width:${Math.min(100, Number(this.el.dataset.pings) * 5)}%`;
  },
};
