// Lambda bundles only. body-parser and raw-body use iconv-lite to decode
// request bodies; its code-page tables are about 0.5 MB minified. Slack sends
// UTF-8, and Node's own decoders cover every charset a request here can
// declare. Anything else is refused with the error raw-body turns into 415.
'use strict';

const { StringDecoder } = require('node:string_decoder');

const NODE_NAMES = {
  utf8: 'utf8',
  'utf-8': 'utf8',
  ascii: 'latin1',
  'us-ascii': 'latin1',
  latin1: 'latin1',
  'iso-8859-1': 'latin1',
  binary: 'latin1',
  utf16le: 'utf16le',
  'utf-16le': 'utf16le',
  ucs2: 'utf16le',
  'ucs-2': 'utf16le',
};

function nodeName(encoding) {
  const name = NODE_NAMES[String(encoding).toLowerCase()];
  if (!name) throw new Error(`Encoding not recognized: '${encoding}' (searched as: '${encoding}')`);
  return name;
}

module.exports = {
  encodingExists: (encoding) => String(encoding).toLowerCase() in NODE_NAMES,
  getDecoder: (encoding) => {
    const decoder = new StringDecoder(nodeName(encoding));
    return { write: (chunk) => decoder.write(chunk), end: () => decoder.end() };
  },
  decode: (buffer, encoding) => Buffer.from(buffer).toString(nodeName(encoding)),
};
