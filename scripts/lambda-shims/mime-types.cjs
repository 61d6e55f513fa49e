// Bundles that keep express only (scripts/build.mjs --with-express: the bench's bare Bolt app,
// on Bolt's ExpressReceiver); the handlers' bundles carry neither. express, accepts, type-is
// and send load mime-types, which at load builds its extension and type maps from all of
// mime-db (about 10 ms of a cold start). The real module is loaded on the first call instead
// (express's JSON answers make one), and answers exactly as it would have.
// Required by path: the build aliases the package name to this file.
'use strict';

let real;
const load = () => {
  real ??= require('../../node_modules/mime-types/index.js');
  return real;
};

module.exports = {
  charset: (type) => load().charset(type),
  contentType: (str) => load().contentType(str),
  extension: (type) => load().extension(type),
  lookup: (path) => load().lookup(path),
  get charsets() {
    return load().charsets;
  },
  get extensions() {
    return load().extensions;
  },
  get types() {
    return load().types;
  },
};
