/** The page's look: Slack-like enough to judge the messages, nothing more. */
export const PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d1c1d;background:#f4ede4}
.top{display:flex;justify-content:space-between;align-items:center;padding:8px 16px;background:#3f0e40;color:#fff}
.top select{font:inherit;padding:2px 4px}
main{display:grid;grid-template-columns:minmax(300px,1fr) minmax(380px,1.4fr) minmax(300px,1fr);gap:8px;padding:8px;height:calc(100vh - 44px)}
.col{background:#fff;border-radius:8px;padding:8px 12px;overflow:auto;display:flex;flex-direction:column}
.col h2{font-size:15px;margin:4px 0 8px;border-bottom:1px solid #ddd;padding-bottom:6px}
#channels{display:block}
.messages{flex:1;overflow:auto}
.msg{padding:6px 4px;border-radius:4px}
.msg:target{background:#fff8c5}
.msg.ephemeral{background:#f8f8f8;border-left:3px solid #1264a3}
.msg-head{font-size:13px}
.muted{color:#616061;font-size:12px}
.tag{font-size:10px;background:#e8e8e8;color:#444;border-radius:3px;padding:0 4px;vertical-align:middle}
.tag-dry{background:#fff3bf;color:#5c4400}.tag-live{background:#ffd6d6;color:#7a0000}.tag-playground{background:#e3f2fd;color:#0b4f8a}
.command{background:#f0f0f0;padding:2px 6px;border-radius:4px}
.thread{margin:6px 0 4px 14px;padding-left:10px;border-left:2px solid #ddd}
.thread-label{font-size:12px;color:#1264a3;font-weight:bold}
.empty{color:#888;font-style:italic}
#composer{display:flex;gap:6px;margin-top:8px}
#composer input{flex:1;font:inherit;padding:8px;border:1px solid #bbb;border-radius:6px}
.tabs{display:flex;gap:4px;margin-bottom:4px}
.tab{font:inherit;border:1px solid #ccc;background:#fafafa;border-radius:6px;padding:4px 10px;cursor:pointer}
.tab.active{background:#1264a3;color:#fff;border-color:#1264a3}
.bk-header{font-size:17px;font-weight:700;margin:4px 0}
.bk-section{display:flex;gap:8px;margin:4px 0}
.bk-section-body{flex:1}
.bk-fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 16px;margin-top:4px}
.bk-context{font-size:12px;color:#616061;display:flex;gap:8px;flex-wrap:wrap;margin:4px 0}
.bk-divider{border:0;border-top:1px solid #ddd;margin:8px 0}
.bk-actions{display:flex;gap:8px;flex-wrap:wrap;margin:6px 0}
.bk-button{font:inherit;font-weight:600;font-size:13px;padding:4px 12px;border:1px solid #bbb;background:#fff;border-radius:4px;cursor:pointer;text-decoration:none;color:#1d1c1d}
.bk-button:disabled{opacity:.5;cursor:wait}
.bk-primary{background:#007a5a;border-color:#007a5a;color:#fff}
.bk-danger{background:#fff;border-color:#e01e5a;color:#e01e5a}
.bk-text code,.bk-fields code,.bk-context code{background:#f6f6f6;border:1px solid #e5e5e5;border-radius:3px;padding:0 3px;color:#c01343;font-size:12px}
.bk-text pre{background:#f6f6f6;border:1px solid #e5e5e5;border-radius:4px;padding:6px;white-space:pre-wrap;margin:4px 0}
blockquote{margin:2px 0;padding-left:8px;border-left:3px solid #ddd}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
.bk-json{font-size:12px;background:#fff4f4;border:1px dashed #c00;border-radius:4px;padding:4px;margin:4px 0}
.bk-json pre{white-space:pre-wrap;margin:4px 0}
#overlay{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:flex-start;justify-content:center;padding-top:6vh}
#overlay[hidden]{display:none}
.modal{background:#fff;border-radius:8px;width:min(560px,94vw);max-height:86vh;display:flex;flex-direction:column;box-shadow:0 12px 40px rgba(0,0,0,.35)}
.modal-title{font-size:18px;font-weight:700;padding:14px 18px;border-bottom:1px solid #ddd}
.modal-body{padding:10px 18px;overflow:auto}
.modal-foot{display:flex;justify-content:flex-end;gap:8px;padding:10px 18px;border-top:1px solid #ddd}
.bk-input{margin:10px 0}
.bk-label{display:block;font-weight:700;margin-bottom:4px}
.bk-optional{font-weight:400;color:#616061}
.bk-field{width:100%;font:inherit;padding:7px 8px;border:1px solid #bbb;border-radius:4px}
.bk-has-error .bk-field{border-color:#e01e5a}
.bk-error{color:#e01e5a;font-size:13px;margin-top:4px;white-space:pre-wrap}
.bk-hint{color:#616061;font-size:12px;margin-top:4px}
.bk-typeahead{position:relative}
.bk-options{position:absolute;z-index:2;left:0;right:0;margin:2px 0 0;padding:4px 0;list-style:none;background:#fff;border:1px solid #bbb;border-radius:4px;box-shadow:0 4px 12px rgba(0,0,0,.15);max-height:220px;overflow:auto}
.bk-options li{padding:5px 10px;cursor:pointer}
.bk-options li:hover,.bk-options li.active{background:#1264a3;color:#fff}
.bk-choice{display:flex;gap:6px;align-items:flex-start;margin:3px 0}
.bk-file-status{margin-left:8px;color:#007a5a;font-size:12px}
`;
