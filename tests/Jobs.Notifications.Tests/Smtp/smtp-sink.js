// A real SMTP server on 127.0.0.1 for the e-mail delivery tests: prints "listening <port>",
// then one JSON line per message received ({from, to, data}). Optional AUTH: a user and
// password given as arguments are required; "reject" as the third refuses every recipient.
const { SMTPServer } = require("smtp-server");
const [user, password, mode] = process.argv.slice(2);

const server = new SMTPServer({
  disabledCommands: ["STARTTLS"],
  authOptional: !user,
  allowInsecureAuth: true,
  logger: false,
  onAuth(auth, session, callback) {
    if (auth.username === user && auth.password === password) {
      return callback(null, { user: auth.username });
    }
    return callback(new Error("Invalid username or password"));
  },
  onRcptTo(address, session, callback) {
    if (mode === "reject") {
      const error = new Error("mailbox unavailable");
      error.responseCode = 550;
      return callback(error);
    }
    return callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      process.stdout.write(JSON.stringify({
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((r) => r.address),
        user: session.user || null,
        data: Buffer.concat(chunks).toString("utf8"),
      }) + "\n");
      callback();
    });
  },
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.server.address().port}\n`);
});
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
