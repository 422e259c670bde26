"""Visitors of the public site: browsing the registry and replication items, reading
innovations, searching (pages and API). Run by benchmarks/load.py; needs the `bench` extra.

FastHttpUser (geventhttpclient) rather than HttpUser (requests): it spends several times less
CPU per request, and the load generator shares the machine's cores with the server."""

import random

from locust import FastHttpUser, between, task

QUERIES = [
    "单一窗口",
    "负面清单",
    "企业开办",
    "跨境贸易通关",
    "出口退税",
    "知识产权质押融资",
    "证照分离",
    "人才签证办理",
    "融资租赁",
    "清单",
    "沪 通关",
    "广东 商事登记",
    "保税维修",
]


class Visitor(FastHttpUser):
    wait_time = between(0.2, 1.0)  # an impatient reader clicking through

    def on_start(self) -> None:
        self.zones = [z["code"] for z in self.client.get("/api/zones?limit=50").json()["items"]]
        self.items = [i["code"] for i in self.client.get("/api/items?limit=200").json()["items"]]
        innovations = self.client.get("/api/innovations?limit=500").json()["items"]
        self.innovations = [i["id"] for i in innovations]

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(1)
    def zone_list(self) -> None:
        self.client.get("/zones/", name="/zones/")

    @task(3)
    def zone(self) -> None:
        self.client.get(f"/zones/{random.choice(self.zones)}/", name="/zones/[code]/")

    @task(2)
    def items(self) -> None:
        self.client.get("/replication/items/", name="/replication/items/")

    @task(2)
    def item(self) -> None:
        code = random.choice(self.items)
        self.client.get(f"/replication/items/{code}/", name="/replication/items/[code]/")

    @task(2)
    def innovation_list(self) -> None:
        self.client.get("/reforms/innovations/", name="/reforms/innovations/")

    @task(2)
    def innovation(self) -> None:
        pk = random.choice(self.innovations)
        self.client.get(f"/reforms/innovations/{pk}/", name="/reforms/innovations/[id]/")

    @task(4)
    def search(self) -> None:
        self.client.get("/search/", params={"q": random.choice(QUERIES)}, name="/search/?q=")

    @task(1)
    def api_search(self) -> None:
        query = random.choice(QUERIES)
        self.client.get("/api/search", params={"q": query, "limit": 10}, name="/api/search")

    @task(1)
    def open_data(self) -> None:
        self.client.get("/open-data/", name="/open-data/")
