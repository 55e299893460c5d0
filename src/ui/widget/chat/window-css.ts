// The chat window's styles, inside the shadow root. Under 480px wide it takes the whole screen.
export const WINDOW_CSS = `
.window{position:fixed;right:20px;bottom:88px;width:360px;height:min(540px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);overflow:hidden;color:#1d2430}
.window[hidden]{display:none}
header{background:var(--parley-color);color:#fff;display:flex;align-items:center;gap:8px;padding:12px 12px 12px 16px}
header h2{flex:1;margin:0;font-size:16px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
header button{font:inherit;font-size:13px;color:#fff;background:rgba(0,0,0,.22);border:0;border-radius:6px;padding:6px 10px;cursor:pointer}
header button:hover{background:rgba(0,0,0,.35)}
header button[hidden]{display:none}
button:focus-visible,textarea:focus-visible,.log:focus-visible{outline:3px solid #1d2430;outline-offset:1px}
header button:focus-visible{outline-color:#fff}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f5f7fa}
.greeting{margin:0 0 6px;padding:10px 12px;background:#fff;border-radius:10px;border:1px solid #e1e5eb}
.msg{max-width:82%;display:flex;flex-direction:column}
.msg.visitor{align-self:flex-end;align-items:flex-end}
.msg.operator{align-self:flex-start}
.msg.system{align-self:center;max-width:100%;font-size:12px;color:#5b6472}
.bubble{padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.visitor .bubble{background:var(--parley-color);color:#fff;border-bottom-right-radius:4px}
.visitor .bubble a{color:#fff}
.operator .bubble{background:#fff;border:1px solid #e1e5eb;border-bottom-left-radius:4px}
.operator .bubble a{color:#1a4fc0}
.system .bubble{padding:0}
.msg[data-pending] .bubble{opacity:.7}
.name,.meta{font-size:11px;color:#5b6472;margin:2px 4px}
.status{min-height:18px;padding:2px 14px;font-size:12px;color:#5b6472;background:#f5f7fa}
form{display:flex;gap:8px;padding:10px;border-top:1px solid #e1e5eb;margin:0}
textarea{flex:1;font:inherit;resize:none;border:1px solid #c9d0da;border-radius:8px;padding:8px 10px;height:40px;max-height:120px;box-sizing:border-box;color:inherit}
form button{font:inherit;border:0;border-radius:8px;padding:0 16px;background:var(--parley-color);color:#fff;cursor:pointer}
form[hidden]{display:none}
form button:disabled{opacity:.5;cursor:default}
form .attach{background:none;color:#5b6472;padding:0 4px;font-size:18px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){.window{inset:0;width:100%;height:100%;border-radius:0}}
`;
