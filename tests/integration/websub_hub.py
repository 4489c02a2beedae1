"""A real WebSub hub and subscriber (flask-websub, on celery with redis),
for the end-to-end test in websub_hub.rs.

    python websub_hub.py web PORT REDIS_URL FOLDER     the hub at /hub, a
        subscriber at /callbacks, and its controls: POST /subscribe
        (topic, hub), GET /state (subscriptions made, notifications received)
    python websub_hub.py worker PORT REDIS_URL FOLDER  the celery worker
        that runs the hub's tasks (verifying intent, fetching the topic,
        distributing it)

Both processes make the same hub, so that the tasks the web process queues
are the ones the worker runs.
"""

import json
import os
import sys
import threading

import celery
import flask
from requests.structures import CaseInsensitiveDict
from flask_websub.hub import Hub, SQLite3HubStorage
from flask_websub.hub import tasks as hub_tasks
from flask_websub.subscriber import (
    SQLite3SubscriberStorage,
    SQLite3TempSubscriberStorage,
    Subscriber,
)

mode, port, redis_url, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

# The hub relays the topic's response headers as they came, though its HTTP
# client has already decoded the body: a gzip Content-Encoding or a chunked
# Transfer-Encoding would then describe bytes the subscriber never gets.
# Headers about the transfer, not the document, are dropped here.
TRANSFER_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}
fetch = hub_tasks.get_new_content


def fetch_document(config, topic_url):
    body, content = fetch(config, topic_url)
    headers = CaseInsensitiveDict(
        {k: v for k, v in content["headers"].items() if k.lower() not in TRANSFER_HEADERS}
    )
    return body, dict(content, headers=headers)


hub_tasks.get_new_content = fetch_document

app = flask.Flask(__name__)
app.config["PUBLISH_SUPPORTED"] = True
app.config["SERVER_NAME"] = f"127.0.0.1:{port}"
queue = celery.Celery("websub_hub", broker=redis_url)
queue.conf.task_default_queue = f"websub-{port}"
hub = Hub(SQLite3HubStorage(os.path.join(folder, "hub.sqlite")), queue, PUBLISH_SUPPORTED=True)

if mode == "worker":
    queue.worker_main(["worker", "-P", "threads", "-c", "8", "--loglevel", "WARNING", "-Q", f"websub-{port}"])
    sys.exit(0)

app.register_blueprint(hub.build_blueprint(url_prefix="/hub"))
subscriber = Subscriber(
    SQLite3SubscriberStorage(os.path.join(folder, "subscriber.sqlite")),
    SQLite3TempSubscriberStorage(os.path.join(folder, "subscriber-temp.sqlite")),
)
app.register_blueprint(subscriber.build_blueprint(url_prefix="/callbacks"))

lock = threading.Lock()
state = {"subscribed": [], "received": [], "errors": []}


@subscriber.add_success_handler
def subscribed(topic_url, callback_id, mode):
    with lock:
        state["subscribed"].append(topic_url)


@subscriber.add_error_handler
def refused(topic_url, callback_id, reason):
    with lock:
        state["errors"].append([topic_url, reason])


@subscriber.add_listener
def received(topic_url, callback_id, body):
    with lock:
        state["received"].append({"topic": topic_url, "body": body.decode("utf-8", "replace")})


@app.route("/subscribe", methods=["POST"])
def subscribe():
    form = flask.request.form
    subscriber.subscribe(topic_url=form["topic"], hub_url=form["hub"], lease_seconds=600)
    return "asked\n", 202


@app.route("/state")
def report():
    with lock:
        return flask.Response(json.dumps(state), mimetype="application/json")


app.run(host="127.0.0.1", port=port, threaded=True)
