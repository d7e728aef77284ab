#!/usr/bin/env python3
"""shop_service_test.py - the example service (examples/shop-service) driven
over real HTTP, in both of its modes (one thread with the non-blocking API,
and --threads on a pool), on a fresh database each time:

  - every endpoint: users, profiles, posts, products, carts (create, read,
    list with filters and a window, update, delete) and adding to a cart;
  - bad input: bad JSON, wrong types, missing and unknown fields, a body
    over the limit, an unknown route or method, bad parameters;
  - hostile text (quotes, SQL fragments, LIKE wildcards, backslashes,
    non-ASCII) stored and returned unchanged, and found by a filter;
  - constraint violations answered 409 (unique, foreign key), 404 for what
    does not exist;
  - concurrent clients: 50 requests at once, each answer checked, and 10
    creations of one name at once, of which exactly one wins;
  - a restart with the migrations already applied: nothing migrated again,
    the data still there.

  shop_service_test.py SERVICE CLI_DB sqlite|postgresql|mariadb WORK_DIR

On PostgreSQL and MariaDB the database shop_service is made afresh on the
server of RETORT_PG_URL / RETORT_MARIADB_URL (and dropped at the end).
"""
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

service, cli_db, backend, work = sys.argv[1:5]
failures = []
checks = 0


def check(condition, what):
    global checks
    checks += 1
    if not condition:
        failures.append(what)
        print("FAIL: " + what, flush=True)


# --- the database ------------------------------------------------------------

def fresh_database():
    """A URL of an empty database."""
    if backend == "sqlite":
        path = os.path.join(work, "shop.db")
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return "sqlite:///" + path
    server = os.environ["RETORT_PG_URL" if backend == "postgresql" else "RETORT_MARIADB_URL"]
    subprocess.run([cli_db, "fresh", server, "shop_service"], check=True)
    return server.rsplit("/", 1)[0] + "/shop_service"


def drop_database():
    if backend != "sqlite":
        server = os.environ["RETORT_PG_URL" if backend == "postgresql" else "RETORT_MARIADB_URL"]
        subprocess.run([cli_db, "drop", server, "shop_service"])


# --- the service ---------------------------------------------------------------

class Service:
    def __init__(self, url, mode_args):
        self.log = open(os.path.join(work, "service.log"), "a+")
        self.log_start = self.log.seek(0, os.SEEK_END)
        self.proc = subprocess.Popen([service, "--database", url, "--port", "0"] + mode_args,
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"listening on (http://[0-9.]+:[0-9]+)", line)
        if not match:
            self.proc.kill()
            raise SystemExit("the service did not start: %r\n%s" % (line, self.stderr()))
        self.base = match.group(1)

    def stderr(self):
        self.log.flush()
        self.log.seek(self.log_start)
        text = self.log.read()
        self.log.seek(0, os.SEEK_END)
        return text

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = "hung"
        self.proc.stdout.close()
        return status


def request(base, method, path, body=None, raw=None, headers=None):
    """(status, parsed JSON or None, raw text)."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    except (urllib.error.URLError, ConnectionError) as error:
        return 0, None, "no answer: %s" % error
    try:
        value = json.loads(text) if text else None
    except ValueError:
        value = "not JSON: " + text
    return status, value, text


def expect(base, method, path, status, body=None, raw=None, what=None):
    got, value, text = request(base, method, path, body, raw)
    label = what or "%s %s" % (method, path)
    check(got == status, "%s: status %d, expected %d (%s)" % (label, got, status, text[:200]))
    if got >= 400:
        check(isinstance(value, dict) and isinstance(value.get("error"), str),
              "%s: an error answer is {\"error\": ...}: %s" % (label, text[:200]))
    return value


def q(text):
    return urllib.parse.quote(text, safe="")


# --- the checks ------------------------------------------------------------------

HOSTILE = [
    "Robert'); DROP TABLE users;--",
    "x\" OR \"1\"=\"1",
    "100% _match_ \\ back\\slash",
    "Zoë «Ωμέγα» 東京 😀",
    "'; SELECT pg_sleep(5); --",
]


def endpoints(base):
    # users, with and without a profile
    ada = expect(base, "POST", "/users", 201,
                 {"username": "ada", "email": "ada@example.com", "first_name": "Ada",
                  "last_name": "Lovelace"})
    check(ada and ada["username"] == "ada" and ada["profile"]["last_name"] == "Lovelace"
          and ada["created_at"], "a new user is answered with its profile and created_at")
    grace = expect(base, "POST", "/users", 201, {"username": "grace"})
    check(grace and grace["profile"] is None and grace["email"] is None,
          "a user without a profile: profile and email null")
    got = expect(base, "GET", "/users/%d" % ada["id"], 200)
    check(got == ada, "GET /users/{id} is what POST answered")
    listed = expect(base, "GET", "/users?username=grace", 200)
    check([u["id"] for u in listed] == [grace["id"]], "?username= filters")
    listed = expect(base, "GET", "/users?limit=1&offset=1", 200)
    check([u["id"] for u in listed] == [grace["id"]], "?limit= and ?offset= window the list")
    changed = expect(base, "PATCH", "/users/%d" % grace["id"], 200,
                     {"email": "grace@example.com"})
    check(changed and changed["email"] == "grace@example.com" and changed["username"] == "grace",
          "PATCH changes only what it names")
    changed = expect(base, "PATCH", "/users/%d" % grace["id"], 200, {"email": None})
    check(changed and changed["email"] is None, "PATCH sets a nullable field to null")
    expect(base, "POST", "/users", 409, {"username": "ada"}, what="a taken user name")
    expect(base, "PATCH", "/users/%d" % grace["id"], 409, {"username": "ada"},
           what="renaming to a taken name")

    # profiles
    profile = expect(base, "POST", "/profiles", 201,
                     {"user_id": grace["id"], "first_name": "Grace"})
    check(profile and profile["user_id"] == grace["id"], "a profile for a user")
    expect(base, "POST", "/profiles", 409, {"user_id": grace["id"]},
           what="a second profile for one user (unique)")
    expect(base, "POST", "/profiles", 409, {"user_id": 999999},
           what="a profile for no user (foreign key)")
    listed = expect(base, "GET", "/profiles?user_id=%d" % grace["id"], 200)
    check([p["id"] for p in listed] == [profile["id"]], "?user_id= filters profiles")
    changed = expect(base, "PATCH", "/profiles/%d" % profile["id"], 200, {"last_name": "Hopper"})
    check(changed and changed["first_name"] == "Grace" and changed["last_name"] == "Hopper",
          "PATCH /profiles/{id}")
    check(expect(base, "GET", "/users/%d" % grace["id"], 200)["profile"] == changed,
          "the user shows its profile")
    expect(base, "DELETE", "/profiles/%d" % profile["id"], 204)
    expect(base, "GET", "/profiles/%d" % profile["id"], 404, what="a deleted profile")

    # posts
    post = expect(base, "POST", "/posts", 201,
                  {"user_id": ada["id"], "title": "Notes", "body": "On the engine"})
    check(post and post["body"] == "On the engine" and post["created_at"], "a new post")
    bare = expect(base, "POST", "/posts", 201, {"user_id": ada["id"], "title": "Bare"})
    check(bare and bare["body"] == "", "a post's body defaults to ''")
    expect(base, "POST", "/posts", 409, {"user_id": 999999, "title": "x"},
           what="a post by no user (foreign key)")
    listed = expect(base, "GET", "/posts?user_id=%d&title=Bare" % ada["id"], 200)
    check([p["id"] for p in listed] == [bare["id"]], "?user_id= and ?title= filter posts")
    changed = expect(base, "PATCH", "/posts/%d" % bare["id"], 200, {"body": "now with a body"})
    check(changed and changed["body"] == "now with a body" and changed["title"] == "Bare",
          "PATCH /posts/{id}")
    check(expect(base, "GET", "/posts/%d" % bare["id"], 200) == changed, "GET /posts/{id}")
    expect(base, "DELETE", "/posts/%d" % bare["id"], 204)
    expect(base, "DELETE", "/posts/%d" % bare["id"], 404, what="deleting twice")

    # products
    lamp = expect(base, "POST", "/products", 201,
                  {"name": "lamp", "price": 19.9, "description": "a desk lamp"})
    check(lamp and lamp["price"] == "19.90", "a price given as a number is kept exactly")
    desk = expect(base, "POST", "/products", 201, {"name": "desk", "price": "149.00"})
    chair = expect(base, "POST", "/products", 201, {"name": "chair", "price": 59})
    check(desk["price"] == "149.00" and chair["price"] == "59.00", "prices as text and integers")
    listed = expect(base, "GET", "/products?name=desk", 200)
    check([p["id"] for p in listed] == [desk["id"]], "?name= filters products")
    changed = expect(base, "PATCH", "/products/%d" % chair["id"], 200,
                     {"price": "64.50", "description": None})
    check(changed and changed["price"] == "64.50", "PATCH /products/{id}")
    check(expect(base, "GET", "/products/%d" % chair["id"], 200) == changed,
          "GET /products/{id}")

    # carts, and adding to them
    cart = expect(base, "POST", "/users/%d/cart" % ada["id"], 201, {"product_id": lamp["id"]})
    check(cart and cart["status"] == "open" and [p["id"] for p in cart["products"]] == [lamp["id"]],
          "adding to a user's cart makes the open cart")
    again = expect(base, "POST", "/users/%d/cart" % ada["id"], 201, {"product_id": desk["id"]})
    check(again and again["id"] == cart["id"] and len(again["products"]) == 2,
          "the next product goes to the same open cart")
    expect(base, "POST", "/users/%d/cart" % ada["id"], 409, {"product_id": lamp["id"]},
           what="a product already in the cart")
    expect(base, "POST", "/users/%d/cart" % ada["id"], 409, {"product_id": 999999},
           what="a product that does not exist")
    expect(base, "POST", "/users/999999/cart", 404, {"product_id": lamp["id"]},
           what="the cart of no user")
    other = expect(base, "POST", "/carts", 201, {"user_id": grace["id"]})
    check(other and other["products"] == [] and other["status"] == "open", "POST /carts")
    expect(base, "POST", "/carts", 409, {"user_id": 999999}, what="a cart for no user")
    added = expect(base, "POST", "/carts/%d/products" % other["id"], 201,
                   {"product_id": chair["id"]})
    check(added and [p["id"] for p in added["products"]] == [chair["id"]],
          "POST /carts/{id}/products")
    listed = expect(base, "GET", "/carts?user_id=%d&status=open" % ada["id"], 200)
    check([c["id"] for c in listed] == [cart["id"]] and len(listed[0]["products"]) == 2,
          "?user_id= and ?status= filter carts, with their products")
    paid = expect(base, "PATCH", "/carts/%d" % cart["id"], 200, {"status": "paid"})
    check(paid and paid["status"] == "paid" and paid["paid_at"], "paying stamps paid_at")
    expect(base, "POST", "/carts/%d/products" % cart["id"], 409, {"product_id": chair["id"]},
           what="adding to a paid cart")
    fresh = expect(base, "POST", "/users/%d/cart" % ada["id"], 201, {"product_id": chair["id"]})
    check(fresh and fresh["id"] != cart["id"], "after paying, a new open cart")
    expect(base, "DELETE", "/carts/%d/products/%d" % (other["id"], chair["id"]), 204)
    expect(base, "DELETE", "/carts/%d/products/%d" % (other["id"], chair["id"]), 404,
           what="removing what is not in the cart")
    check(expect(base, "GET", "/carts/%d" % other["id"], 200)["products"] == [],
          "GET /carts/{id} after removing")
    expect(base, "PATCH", "/carts/%d" % other["id"], 422, {"status": "lost"},
           what="an unknown status")
    expect(base, "DELETE", "/carts/%d" % other["id"], 204)
    expect(base, "GET", "/carts/%d" % other["id"], 404, what="a deleted cart")

    # deleting a product that a cart holds takes it out of the cart
    expect(base, "DELETE", "/products/%d" % desk["id"], 204)
    held = expect(base, "GET", "/carts/%d" % cart["id"], 200)
    check([p["id"] for p in held["products"]] == [lamp["id"]],
          "a deleted product leaves the carts that held it")

    # deleting a user cascades to its profile, posts and carts
    expect(base, "DELETE", "/users/%d" % ada["id"], 204)
    expect(base, "GET", "/users/%d" % ada["id"], 404, what="a deleted user")
    expect(base, "GET", "/posts/%d" % post["id"], 404, what="a deleted user's post")
    expect(base, "GET", "/carts/%d" % cart["id"], 404, what="a deleted user's cart")
    check(expect(base, "GET", "/profiles?user_id=%d" % ada["id"], 200) == [],
          "a deleted user's profile")
    return grace


def bad_input(base, grace):
    gid = grace["id"]
    expect(base, "GET", "/nothing", 404, what="an unknown route")
    expect(base, "GET", "/users/abc", 404, what="a key that is not a number")
    expect(base, "GET", "/users/0", 404, what="key 0")
    expect(base, "GET", "/users/99999999999999999999", 404, what="a key too large")
    expect(base, "GET", "/users/999999", 404, what="no such user")
    expect(base, "PUT", "/users/%d" % gid, 405, {"username": "x"}, what="an unknown method")
    expect(base, "POST", "/users", 400, raw=b"{\"username\": ", what="bad JSON")
    expect(base, "POST", "/users", 400, raw=b"\xff\xfe{}", what="a body that is not UTF-8")
    expect(base, "POST", "/users", 400, raw=b"[1, 2]", what="a body that is not an object")
    expect(base, "POST", "/users", 400, what="no body")
    expect(base, "POST", "/users", 400, raw=b"{\"username\": \"a\", \"username\": \"b\"}",
           what="a key given twice")
    expect(base, "POST", "/users", 400, raw=b"{\"username\": \"a\\u0000b\"}",
           what="a NUL in a string")
    expect(base, "POST", "/users", 422, {"email": "x@example.com"}, what="a missing field")
    expect(base, "POST", "/users", 422, {"username": ""}, what="an empty name")
    expect(base, "POST", "/users", 422, {"username": 42}, what="a number for a string")
    expect(base, "POST", "/users", 422, {"username": None}, what="null for a required field")
    expect(base, "POST", "/users", 422, {"username": ["a"]}, what="an array for a string")
    expect(base, "POST", "/users", 422, {"username": "x", "admin": True}, what="an unknown field")
    expect(base, "POST", "/users", 422, {"username": "x" * 51}, what="a name too long")
    long_ok = expect(base, "POST", "/users", 201, {"username": "é" * 50},
                     what="50 characters of two bytes each")
    check(long_ok and long_ok["username"] == "é" * 50, "characters, not bytes, are counted")
    expect(base, "POST", "/posts", 422, {"user_id": "1", "title": "x"}, what="a string for a key")
    expect(base, "POST", "/posts", 422, {"user_id": 1.5, "title": "x"}, what="a real for a key")
    expect(base, "POST", "/posts", 422, {"user_id": -3, "title": "x"}, what="a negative key")
    expect(base, "POST", "/products", 422, {"name": "x", "price": -5}, what="a negative price")
    expect(base, "POST", "/products", 422, {"name": "x", "price": "abc"}, what="a price of text")
    expect(base, "POST", "/products", 422, {"name": "x", "price": 1.234},
           what="a price with three decimals")
    expect(base, "POST", "/products", 422, {"name": "x", "price": True}, what="a boolean price")
    expect(base, "POST", "/products", 422, {"name": "x", "price": "1e3"},
           what="a price in exponent form")
    expect(base, "GET", "/users?limit=0", 400, what="?limit=0")
    expect(base, "GET", "/users?limit=1001", 400, what="?limit= too large")
    expect(base, "GET", "/users?offset=-1", 400, what="a negative offset")
    expect(base, "GET", "/posts?user_id=1%20OR%201=1", 400, what="a key parameter with SQL")
    expect(base, "GET", "/users?role=admin", 400, what="an unknown parameter")
    expect(base, "GET", "/users?username=%FF", 400, what="a parameter that is not UTF-8")
    expect(base, "GET", "/carts?status=lost", 400, what="an unknown status filter")
    big = b"{\"username\": \"" + b"a" * (70 * 1024) + b"\"}"
    expect(base, "POST", "/users", 413, raw=big, what="a body over 64 KiB")
    check(expect(base, "GET", "/users/%d" % gid, 200)["username"] == "grace",
          "the service still answers after the bad input")


def hostile(base, grace):
    for text in HOSTILE:
        user = expect(base, "POST", "/users", 201, {"username": text, "email": text},
                      what="a user named %r" % text)
        if not user:
            continue
        check(user["username"] == text and user["email"] == text,
              "%r stored and returned unchanged" % text)
        check(expect(base, "GET", "/users/%d" % user["id"], 200)["username"] == text,
              "%r read back unchanged" % text)
        found = expect(base, "GET", "/users?username=" + q(text), 200)
        check([u["id"] for u in found] == [user["id"]], "?username=%r finds exactly it" % text)
        post = expect(base, "POST", "/posts", 201,
                      {"user_id": grace["id"], "title": text[:50], "body": text + "\n\t" + text})
        check(post and post["body"] == text + "\n\t" + text, "a post body %r unchanged" % text)
    # LIKE's wildcards are not wildcards: the filter compares for equality.
    check(expect(base, "GET", "/users?username=" + q("%"), 200) == [],
          "?username=%% matches no one")
    check(expect(base, "GET", "/users?username=" + q("_") + "da", 200) == [],
          "?username=_da matches no one")
    # The tables are all still there.
    for path in ("/users", "/profiles", "/posts", "/products", "/carts"):
        expect(base, "GET", path, 200, what="%s after the hostile strings" % path)


def concurrency(base):
    products = [expect(base, "POST", "/products", 201, {"name": "c%d" % i, "price": i})
                for i in range(1, 6)]
    jobs = []
    for i in range(50):
        if i % 2 == 0:
            jobs.append(("POST", "/users", {"username": "parallel %d" % i}, 201, i))
        else:
            product = products[i % 5]
            jobs.append(("GET", "/products/%d" % product["id"], None, 200, product))

    def run(job):
        method, path, body, _, _ = job
        return request(base, method, path, body)

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(run, jobs))
    ids = set()
    for job, (status, value, text) in zip(jobs, results):
        method, path, body, status_expected, expected = job
        ok = status == status_expected
        if ok and method == "POST":
            ok = value["username"] == body["username"]
            ids.add(value["id"])
        elif ok:
            ok = value == expected
        check(ok, "concurrent %s %s: %d %s" % (method, path, status, text[:120]))
    check(len(ids) == 25, "25 users made at once got 25 keys")
    listed = expect(base, "GET", "/users?limit=1000", 200)
    check(len([u for u in listed if u["username"].startswith("parallel ")]) == 25,
          "the 25 users made at once are all there")

    # Ten clients create the same name at once: one wins, nine get 409.
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(pool.map(
            lambda _: request(base, "POST", "/users", {"username": "only one"})[0], range(10)))
    check(statuses == [201] + [409] * 9, "one name ten times at once: %s" % statuses)


def run_mode(name, mode_args):
    print("== %s (%s)" % (name, " ".join(mode_args)), flush=True)
    url = fresh_database()
    svc = Service(url, mode_args)
    try:
        check("Running upgrade" in svc.stderr(), "%s: the service migrates a fresh database" % name)
        grace = endpoints(svc.base)
        bad_input(svc.base, grace)
        hostile(svc.base, grace)
        concurrency(svc.base)
        before = request(svc.base, "GET", "/users?limit=1000")[1]
    finally:
        status = svc.stop()
    check(status == 0, "%s: SIGTERM stops the service with status 0 (%s)" % (name, status))

    # The restart: the migrations are applied already, the data is there.
    svc = Service(url, mode_args)
    try:
        log = svc.stderr()
        check("Running upgrade" not in log, "%s: nothing migrated again at restart:\n%s"
              % (name, log))
        after = request(svc.base, "GET", "/users?limit=1000")[1]
        check(after == before and len(after) > 25, "%s: the data survives the restart" % name)
        expect(svc.base, "POST", "/users", 409, {"username": "grace"},
               what="after the restart, the unique constraint holds")
        user_id = after[0]["id"]

        # Stopped under load: the requests in flight are answered, later
        # ones refused (503) or not taken, and it exits at once, status 0.
        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
            futures = [pool.submit(request, svc.base, "GET", "/users/%d" % user_id)
                       for _ in range(400)]
            time.sleep(0.2)
            began = time.monotonic()
            status = svc.stop()
            took = time.monotonic() - began
            answers = [f.result() for f in futures]
        check(status == 0 and took < 15,
              "%s: stopped under load: status %s in %.1f s" % (name, status, took))
        check(all(a[0] in (200, 503, 0) for a in answers),
              "%s: under a stop, every answer is 200 or 503: %s"
              % (name, sorted(set(a[0] for a in answers))))
        check(any(a[0] == 200 for a in answers), "%s: answers before the stop" % name)
    finally:
        if svc.proc.poll() is None:
            svc.stop()


def main():
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        run_mode("async", ["--pool", "4"])
        run_mode("threads", ["--threads", "4"])
    finally:
        drop_database()
    print("%d checks, %d failed" % (checks, len(failures)))
    if failures:
        print("service log: " + os.path.join(work, "service.log"))
    return 1 if failures else 0


sys.exit(main())
