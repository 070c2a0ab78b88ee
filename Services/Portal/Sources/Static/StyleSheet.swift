/// The one stylesheet: mobile first, large touch targets, system fonts (nothing to download).
enum StyleSheet {
    static let css = """
    :root{--green:#0b5d4b;--green-dark:#073d31;--red:#b00020;--ink:#1b1b1b;--muted:#555;--line:#c9d3cf;--bg:#f6f8f7}
    *{box-sizing:border-box}
    body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
    a{color:var(--green)}
    .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
    .top{background:var(--green);color:#fff;padding:8px 12px}
    .top a{color:#fff}.brand{font-weight:700;font-size:1.2rem;text-decoration:none}.brand small{display:block;font-weight:400;font-size:.8rem}
    .top ul{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px}
    .top form{display:inline}
    button.link{background:none;border:0;color:#fff;text-decoration:underline;font:inherit;padding:0;cursor:pointer}
    main{max-width:760px;margin:0 auto;padding:12px 14px 32px;background:#fff;min-height:70vh}
    h1{font-size:1.5rem;margin:.4em 0}h2{font-size:1.2rem;margin-top:1.4em}
    fieldset{border:1px solid var(--line);border-radius:6px;margin:0 0 16px;padding:8px 12px}
    legend{font-weight:700;padding:0 4px}
    .field{margin:10px 0 14px}
    label{display:block;font-weight:600;margin-bottom:4px}
    label.choice{font-weight:400;display:flex;gap:8px;align-items:flex-start;padding:6px 0;min-height:44px}
    label.choice input{width:22px;height:22px;margin-top:2px;flex:none}
    input[type=text],input[type=tel],input[type=email],input[type=date],input[type=number],input[type=password],select,textarea{
      width:100%;font:inherit;padding:10px;border:1px solid #888;border-radius:6px;min-height:44px;background:#fff}
    input[type=file]{font:inherit;max-width:100%}
    :focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
    .row{display:flex;gap:12px}.row .field{flex:1}
    .hint{color:var(--muted);font-size:.9rem;margin:2px 0 6px}
    .req{color:var(--red)}
    .has-error{border-left:4px solid var(--red);padding-left:10px}
    .field-error{color:var(--red);font-weight:700;margin:2px 0 6px}
    .error-summary{border:3px solid var(--red);padding:8px 12px;margin:12px 0;border-radius:6px}
    .error-summary h2{margin:0 0 6px;font-size:1.1rem}
    button,.button{display:inline-block;font:inherit;font-weight:700;padding:12px 18px;border-radius:6px;border:2px solid var(--green);background:#fff;color:var(--green);min-height:44px;cursor:pointer;text-decoration:none}
    button.primary{background:var(--green);color:#fff}button.danger{border-color:var(--red);color:var(--red)}
    .notice{padding:10px 12px;border-radius:6px;margin:12px 0}
    .notice.success{background:#e3f4ec;border:1px solid #5aa784}.notice.error{background:#fde8eb;border:1px solid var(--red)}.notice.info{background:#eef3fb;border:1px solid #7d9cd1}
    .tracking-card{border:2px dashed var(--green);border-radius:10px;padding:12px;text-align:center;margin:12px 0}
    .tracking-code{font:700 2rem/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.08em;margin:.2em 0}
    .cards{list-style:none;padding:0;display:grid;gap:10px}
    .cards a{display:block;border:1px solid var(--line);border-radius:8px;padding:12px;text-decoration:none;color:var(--ink)}
    .cards strong{display:block;color:var(--green);font-size:1.1rem}
    .timeline{padding-left:20px}.timeline li{margin-bottom:8px}
    .panel{border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:14px 0}
    .table{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.95rem}
    th,td{border-bottom:1px solid var(--line);padding:6px;text-align:left;vertical-align:top}td.num{text-align:right}
    tr.fail{background:#fff4f4}
    .badge{background:var(--green);color:#fff;padding:2px 8px;border-radius:10px}
    ul.inbox{list-style:none;padding:0}ul.inbox li{border-left:4px solid #ccc;padding:4px 10px;margin:8px 0}
    ul.inbox li.unread{border-left-color:var(--green);background:#f3f8f5}ul.inbox .meta{margin:0;font-size:.9em}
    .filters{display:flex;flex-wrap:wrap;gap:0 12px;align-items:flex-end}.filters .field{flex:1 1 160px}
    .figures{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px}
    .figures li{border:1px solid var(--line);border-radius:8px;padding:8px}.figures strong{display:block;font-size:1.6rem;color:var(--green)}
    .big-figure{font-size:1.4rem}
    .chart{margin:16px 0}.chart figcaption{font-weight:700}.chart svg{width:100%;height:auto}
    .chart-bar{fill:var(--green)}.chart-label,.chart-value{font-size:15px;fill:var(--ink)}.chart-target{stroke:var(--red);stroke-width:2;stroke-dasharray:4 3}
    .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
    .consent-text{background:var(--bg);padding:6px 12px;border-radius:6px}
    .narrow{max-width:380px}
    blockquote{border-left:4px solid var(--line);margin:8px 0;padding:4px 12px;white-space:pre-wrap}
    .bottom{max-width:760px;margin:0 auto;padding:10px 14px;color:var(--muted);font-size:.85rem}
    @media (min-width:700px){.cards{grid-template-columns:1fr 1fr}}
    """
}
