/* The relay graph page: draws /graph.json with Cytoscape (vendored, static/cytoscape.min.js).
 * Places come from the server (layout in newsledger/web/graph.py); clicking a source loads its
 * statements into the side panel (/graph/source, server-rendered and escaped), clicking an
 * arrow shows its counts. No inline script or style: the page's CSP allows neither. */
(function () {
  "use strict";
  var box = document.getElementById("relay-graph");
  if (!box || typeof window.cytoscape !== "function") return;
  var panel = document.getElementById("graph-panel");
  var TYPE_COLOURS = {
    person: ["#fff4e6", "#b35c00"],
    organization: ["#eaf2fb", "#1f5fa8"],
    place: ["#eaf6ee", "#2e7d4f"],
    group: ["#f4eefa", "#6a3d9a"],
    description: ["#f3f3f1", "#8a9097"]
  };

  function sourceUrl(name) { return "/sources/" + encodeURIComponent(name); }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }

  function link(href, value) {
    var a = text("a", value);
    a.href = href;
    return a;
  }

  function showStatements(name) {
    var url = "/graph/source?name=" + encodeURIComponent(name);
    if (window.htmx) {
      window.htmx.ajax("GET", url, { target: "#graph-panel", swap: "innerHTML" });
      return;
    }
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) { panel.innerHTML = html; });  // server-rendered, escaped
  }

  function showLink(edge) {
    var d = edge.data();
    panel.replaceChildren();
    var h = document.createElement("h3");
    h.append(link(sourceUrl(d.relay), d.relay), " → ", link(sourceUrl(d.origin), d.origin));
    panel.append(h);
    panel.append(text("p", d.relay + " passed on what " + d.origin + " said: " + d.weight +
      " attribution" + (d.weight === 1 ? "" : "s") + " in " + d.articles + " article" +
      (d.articles === 1 ? "" : "s") + "."));
  }

  function draw(g) {
    var elements = [];
    g.nodes.forEach(function (n) {
      var c = TYPE_COLOURS[n.type] || TYPE_COLOURS.description;
      elements.push({
        group: "nodes",
        data: { id: n.id, name: n.name, label: n.lines.join("\n"), type: n.type, w: n.w, h: n.h,
                weight: n.attributions, fill: c[0], line: c[1] },
        position: { x: n.x, y: n.y }
      });
    });
    g.edges.forEach(function (e) {
      elements.push({
        group: "edges",
        data: { id: e.id, source: e.source, target: e.target, width: e.width,
                weight: e.attributions, articles: e.articles, relay: e.relay, origin: e.origin }
      });
    });
    var cy = window.cytoscape({
      container: box,
      elements: elements,
      layout: { name: "preset", fit: false },
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      style: [
        { selector: "node", style: {
          shape: "round-rectangle", width: "data(w)", height: "data(h)",
          "background-color": "data(fill)", "border-color": "data(line)", "border-width": 1.5,
          label: "data(label)", "text-wrap": "wrap", "text-max-width": "1000px",
          "text-valign": "center", "text-halign": "center", "font-size": 12,
          "font-family": "system-ui, sans-serif", color: "#1d232b",
          "min-zoomed-font-size": 5 } },
        { selector: "edge", style: {
          width: "data(width)", "curve-style": "bezier", "line-color": "#7c9cc4",
          "target-arrow-color": "#7c9cc4", "target-arrow-shape": "triangle",
          "arrow-scale": 0.9, opacity: 0.85 } },
        { selector: ".faded", style: { opacity: 0.15 } },
        { selector: "node.picked", style: { "border-width": 3.5, "border-color": "#1f5fa8" } },
        { selector: "edge.near", style: {
          "line-color": "#1f5fa8", "target-arrow-color": "#1f5fa8", label: "data(weight)",
          "font-size": 11, "text-background-color": "#ffffff", "text-background-opacity": 1,
          "text-background-padding": "2px" } }
      ]
    });
    window.newsledgerGraph = cy;  // for the browser tests and the console

    function clear() {
      cy.elements().removeClass("faded near picked");
    }

    function pick(node) {
      clear();
      cy.elements().addClass("faded");
      var hood = node.closedNeighborhood();
      hood.removeClass("faded");
      hood.edges().addClass("near");
      node.addClass("picked");
      showStatements(node.data("name"));
    }

    cy.on("tap", "node", function (evt) { pick(evt.target); });
    cy.on("tap", "edge", function (evt) {
      clear();
      evt.target.addClass("near");
      showLink(evt.target);
    });
    cy.on("tap", function (evt) { if (evt.target === cy) clear(); });

    function overview() {
      cy.fit(undefined, 24);
      if (cy.zoom() < 0.5) {  // too small to read: show the largest groups (top left) readable
        var bb = cy.elements().boundingBox();
        cy.zoom(0.8);
        cy.pan({ x: 24 - bb.x1 * 0.8, y: 24 - bb.y1 * 0.8 });
      }
    }
    overview();
    var fit = document.getElementById("graph-fit");
    if (fit) fit.addEventListener("click", function () { cy.fit(undefined, 24); });
    var find = document.getElementById("graph-find");
    if (find) {
      find.addEventListener("change", function () {
        var wanted = find.value.trim().toLowerCase();
        var node = cy.nodes().filter(function (n) { return n.data("name").toLowerCase() === wanted; });
        if (!node.length) return;
        cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) }, { duration: 250 });
        pick(node[0]);
      });
    }
    // the keyboard's way in: the list of sources below the graph picks a node as a click does
    var list = document.getElementById("graph-sources");
    if (list) {
      list.addEventListener("click", function (evt) {
        var a = evt.target.closest("a[data-name]");
        if (!a) return;
        var node = cy.nodes().filter(function (n) { return n.data("name") === a.getAttribute("data-name"); });
        if (!node.length) return;
        evt.preventDefault();
        cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) }, { duration: 250 });
        pick(node[0]);
      });
    }
    box.setAttribute("data-ready", "true");
  }

  fetch(box.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    })
    .then(draw)
    .catch(function (err) {
      box.textContent = "The graph could not be drawn (" + err.message + "); the table below lists every link.";
    });
}());
