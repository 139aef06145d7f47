{
  "version": "7",
  "dialect": "sqlite",
  "entries": [
    {
      "idx": 0,
      "version": "6",
      "when": 1796279985856,
      "tag": "0000_init",
      "breakpoints": true
    }
  ]
}