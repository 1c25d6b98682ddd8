/// The kiosk's mustache templates. They are compiled into the daemon (not read from files at run time), so
/// an installed permitd needs no resource directory. `page` is the whole document the browser loads once;
/// `screen` is one screen, sent again over the event stream each time the kiosk's state changes.
enum KioskTemplates {
    static let page = #"""
    <!doctype html>
    <html lang="{{lang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>居住证签注 · Residence permit endorsement</title>
    <style>{{> style}}</style>
    </head>
    <body>
    <main id="screen" aria-live="polite">{{{screen}}}</main>
    <div id="station-offline" class="overlay" hidden>
      <h1>暂停服务 · Out of service</h1>
      <p>本机暂时无法连接工作站服务，请到服务窗口办理。</p>
      <p>This kiosk cannot reach the station service. Please go to the counter.</p>
    </div>
    <script>{{> script}}</script>
    </body>
    </html>
    """#

    static let screen = #"""
    <section class="screen tone-{{tone}}" data-screen="{{name}}" data-step="{{step}}" lang="{{lang}}">
      <header class="band">
        <h1>{{title}}</h1>
        <form method="post" action="/kiosk/language"><input type="hidden" name="step" value="{{step}}"><button class="language" name="language" value="{{otherLanguage}}">{{otherLanguageName}}</button></form>
      </header>
      <div class="body">
        {{#lines}}<p class="line">{{.}}</p>{{/lines}}
        {{#notice}}<p class="notice" role="alert">{{notice}}</p>{{/notice}}
        {{#hasFacts}}<dl class="facts">{{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}</dl>{{/hasFacts}}
        {{#pinPad}}
        <form class="pinpad" method="post" action="/kiosk/pin" autocomplete="off" data-min="{{minLength}}" data-max="{{maxLength}}">
          <input type="hidden" name="step" value="{{step}}"><input type="hidden" name="pin" value="">
          <div class="dots" aria-live="polite"></div>
          <div class="keys">
            <button type="button" data-digit="1">1</button><button type="button" data-digit="2">2</button><button type="button" data-digit="3">3</button>
            <button type="button" data-digit="4">4</button><button type="button" data-digit="5">5</button><button type="button" data-digit="6">6</button>
            <button type="button" data-digit="7">7</button><button type="button" data-digit="8">8</button><button type="button" data-digit="9">9</button>
            <button type="button" class="clear" data-clear>{{clearLabel}}</button><button type="button" data-digit="0">0</button><button type="submit" class="primary ok">{{okLabel}}</button>
          </div>
        </form>
        {{/pinPad}}
        {{#busy}}<div class="spinner" aria-hidden="true"></div>{{/busy}}
      </div>
      {{#hasButtons}}
      <div class="buttons">
        {{#buttons}}<form method="post" action="/kiosk/{{action}}"><input type="hidden" name="step" value="{{step}}"><button class="{{#primary}}primary{{/primary}}{{^primary}}secondary{{/primary}}" data-action="{{action}}">{{label}}</button></form>{{/buttons}}
      </div>
      {{/hasButtons}}
    </section>
    """#

    /// Sizes follow the shorter side of the screen, so one layout fits 1080×1920 portrait and 1920×1080
    /// landscape; every touch target is at least 12 % of that side high (≥ 120 px at 1080), text at least 3.2 %.
    static let style = #"""
    *{box-sizing:border-box}
    html,body{margin:0;height:100%;background:#fff;color:#111;font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;-webkit-user-select:none;user-select:none}
    body{font-size:max(3.2vmin,24px);line-height:1.45}
    main{height:100%}
    .screen{min-height:100%;display:flex;flex-direction:column}
    .band{display:flex;align-items:center;justify-content:space-between;gap:3vmin;padding:4vmin 5vmin;color:#fff}
    .band h1{margin:0;font-size:max(5.2vmin,38px);line-height:1.25;font-weight:700}
    .tone-calm .band{background:#0b4a85}.tone-busy .band{background:#3d3d3d}.tone-good .band{background:#176b2c}
    .tone-caution .band{background:#8a4b00}.tone-stop .band{background:#a3161a}
    .body{flex:1;padding:4vmin 5vmin;max-width:1600px;width:100%;margin:0 auto}
    .line{margin:0 0 2.4vmin}
    .notice{margin:3vmin 0;padding:2.5vmin 3vmin;border-left:1.4vmin solid #8a4b00;background:#fff4e0;font-weight:700}
    .facts{display:grid;grid-template-columns:1fr;gap:1.2vmin;margin:4vmin 0 0;padding:3vmin;border:2px solid #bbb;border-radius:2vmin}
    .facts div{display:flex;flex-wrap:wrap;gap:0 3vmin}.facts dt{color:#444;min-width:12em}.facts dd{margin:0;font-weight:700}
    .buttons{display:flex;gap:4vmin;padding:4vmin 5vmin 6vmin;justify-content:center;flex-wrap:wrap}
    .buttons form{flex:1;max-width:700px;min-width:30vmin}
    button{font:inherit;font-weight:700;border-radius:2vmin;min-height:max(12vmin,96px);width:100%;cursor:pointer;touch-action:manipulation}
    button.primary{background:#0b4a85;color:#fff;border:0}
    button.secondary{background:#fff;color:#111;border:3px solid #333}
    .band button.language{width:auto;min-width:22vmin;min-height:max(9vmin,80px);padding:0 3vmin;background:#fff;color:#111;border:0}
    .pinpad{margin:3vmin auto 0;max-width:80vmin}
    .dots{height:10vmin;border:3px solid #333;border-radius:2vmin;display:flex;align-items:center;justify-content:center;font-size:8vmin;letter-spacing:2vmin;margin-bottom:3vmin}
    .keys{display:grid;grid-template-columns:repeat(3,1fr);gap:2.5vmin}
    .keys button{background:#eef2f7;color:#111;border:2px solid #8a99ad;font-size:max(5vmin,36px)}
    .keys button.ok{background:#0b4a85;color:#fff}.keys button.clear{font-size:max(3.4vmin,26px)}
    .spinner{width:14vmin;height:14vmin;margin:8vmin auto;border:2vmin solid #ccc;border-top-color:#3d3d3d;border-radius:50%;animation:spin 1.1s linear infinite}
    @keyframes spin{to{transform:rotate(360deg)}}
    .overlay{position:fixed;inset:0;background:#a3161a;color:#fff;padding:8vmin;font-size:max(4vmin,30px)}
    .overlay[hidden]{display:none}
    """#

    /// The page's only script: show each screen the event stream sends, post touches without leaving the
    /// page, collect the PIN on the pad without ever showing it, and say "out of service" when the daemon
    /// does not answer.
    static let script = #"""
    (function(){
      var main=document.getElementById("screen"),offline=document.getElementById("station-offline");
      function down(){offline.hidden=false}
      var events=new EventSource("/kiosk/events");
      events.addEventListener("screen",function(e){main.innerHTML=e.data;offline.hidden=true});
      events.onopen=function(){offline.hidden=true};
      events.onerror=down;
      document.addEventListener("submit",function(e){
        e.preventDefault();
        var form=e.target;
        fetch(form.action,{method:"POST",body:new URLSearchParams(new FormData(form))}).catch(down);
      });
      document.addEventListener("click",function(e){
        var key=e.target.closest("[data-digit],[data-clear]");if(!key)return;
        var pad=key.closest(".pinpad"),pin=pad.querySelector("input[name=pin]"),max=+pad.dataset.max;
        if(key.hasAttribute("data-clear"))pin.value="";else if(pin.value.length<max)pin.value+=key.dataset.digit;
        pad.querySelector(".dots").textContent="\u25CF".repeat(pin.value.length);
      });
    })();
    """#
}
