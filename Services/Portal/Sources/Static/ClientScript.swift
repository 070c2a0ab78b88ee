/// Progressive enhancement only: the pages work without it. It narrows the desa list to the
/// chosen kecamatan, warns about a file over 2 MB before the upload, keeps a draft of the
/// referral form's choices on the phone (never a name, NIK, phone, address detail, description or
/// file: village phones are shared), gives each opened form a fresh `request_id` (a form page
/// served from the service worker's cache would otherwise repeat one), and registers the service
/// worker.
enum ClientScript {
    static let appJS = """
    (function () {
      'use strict';
      if ('serviceWorker' in navigator) { navigator.serviceWorker.register('/sw.js').catch(function () {}); }
      var kec = document.getElementById('f-person-address-kecamatan-code');
      var desa = document.getElementById('f-person-address-desa-code');
      if (kec && desa) {
        var groups = Array.prototype.slice.call(desa.querySelectorAll('optgroup'));
        var narrow = function () {
          var code = kec.value;
          groups.forEach(function (group) {
            var show = !code || (group.firstElementChild && group.firstElementChild.value.indexOf(code + '.') === 0);
            group.hidden = !show; group.disabled = !show;
          });
          if (desa.value && code && desa.value.indexOf(code + '.') !== 0) { desa.value = ''; }
        };
        kec.addEventListener('change', narrow); narrow();
      }
      Array.prototype.forEach.call(document.querySelectorAll('input[type=file][data-max-bytes]'), function (input) {
        input.addEventListener('change', function () {
          var max = +input.getAttribute('data-max-bytes'), big = Array.prototype.some.call(input.files, function (f) { return f.size > max; });
          input.setCustomValidity(big ? 'Berkas lebih dari 2 MB. Kecilkan fotonya dulu.' : '');
          if (big) { input.reportValidity(); }
        });
      });
      var form = document.querySelector('form[data-draft]');
      if (form && window.localStorage) {
        var key = 'layar-draft-' + form.getAttribute('data-draft');
        // Only these choices are kept; every personal field stays in the page alone.
        var keep = { ppks_kind: 1, needs: 1, urgency: 1, 'person.address.kecamatan_code': 1, 'person.address.desa_code': 1,
                     'applicant.relationship': 1, 'applicant.preferred_channel': 1, 'consent.giver': 1 };
        var skip = { csrf: 1, request_id: 1 };
        var hasErrors = !!document.getElementById('ringkasan-kesalahan');
        // A new form, a new key; a form the server returned with errors keeps its own.
        var requestID = form.querySelector('input[name=request_id]');
        if (requestID && !hasErrors && window.crypto && crypto.getRandomValues) {
          var b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
          var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
          requestID.value = h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
        }
        var save = function () {
          var data = {};
          Array.prototype.forEach.call(form.elements, function (el) {
            if (!el.name || !keep[el.name] || skip[el.name] || el.type === 'file' || el.type === 'password') { return; }
            if ((el.type === 'checkbox' || el.type === 'radio')) { if (el.checked) { (data[el.name] = data[el.name] || []).push(el.value); } }
            else { data[el.name] = [el.value]; }
          });
          try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) {}
        };
        var saved = null;
        try { saved = JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) {}
        if (saved && !hasErrors) {
          Array.prototype.forEach.call(form.elements, function (el) {
            var values = saved[el.name]; if (!values || !keep[el.name] || skip[el.name] || el.type === 'file') { return; }
            if (el.type === 'checkbox' || el.type === 'radio') { el.checked = values.indexOf(el.value) >= 0; }
            else { el.value = values[0]; }
          });
          if (kec) { kec.dispatchEvent(new Event('change')); if (saved[desa.name]) { desa.value = saved[desa.name][0]; } }
        }
        form.addEventListener('input', save); form.addEventListener('change', save);
        var hint = form.querySelector('[data-offline-hint]');
        var online = function () { if (hint) { hint.hidden = navigator.onLine; } };
        window.addEventListener('online', online); window.addEventListener('offline', online); online();
        form.addEventListener('submit', function (event) {
          save();
          if (!navigator.onLine) { event.preventDefault(); online(); }
        });
      }
      if (document.getElementById('kode-pelacakan')) {
        try { Object.keys(localStorage).forEach(function (k) { if (k.indexOf('layar-draft-') === 0) { localStorage.removeItem(k); } }); } catch (e) {}
      }
      var summary = document.getElementById('ringkasan-kesalahan');
      if (summary) { summary.focus(); }
    })();
    """

    /// The service worker: the app shell and the form page are cached so the form opens without
    /// a connection (its draft comes back from localStorage); pages are fetched fresh when online.
    static let serviceWorker = """
    'use strict';
    var CACHE = 'layar-v1';
    var SHELL = ['/', '/rujukan', '/lacak', '/offline', '/static/app.css', '/static/app.js', '/static/icon.svg', '/manifest.webmanifest'];
    self.addEventListener('install', function (event) {
      event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
    });
    self.addEventListener('activate', function (event) {
      event.waitUntil(caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
      }).then(function () { return self.clients.claim(); }));
    });
    self.addEventListener('fetch', function (event) {
      var request = event.request, url = new URL(request.url);
      if (request.method !== 'GET' || url.origin !== location.origin || url.pathname.indexOf('/staf') === 0) { return; }
      if (url.pathname.indexOf('/static/') === 0) {
        event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
        return;
      }
      event.respondWith(fetch(request).catch(function () {
        return caches.match(url.pathname).then(function (hit) { return hit || caches.match('/offline'); });
      }));
    });
    """
}
