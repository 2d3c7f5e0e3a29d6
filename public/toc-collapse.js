// Collapses the table of contents on a phone before the first paint (without JavaScript it simply
// stays open). A blocking external file, not inline: the site's Content-Security-Policy refuses
// inline scripts (public/_headers).
if (matchMedia('(max-width: 860px)').matches) document.currentScript.previousElementSibling.querySelector('details').open = false;
