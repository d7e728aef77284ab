"""The ORM benchmark's workloads W1-W8 in SQLAlchemy's ORM, for comparison.

Run by bench_orm (make bench) with the same database URL after retort's
runs; prints one line per workload, "W<n> <median seconds>". The schema and
the work match bench_orm.c: each workload starts from the same state, and
W3, W6, W7 and W8 time only the writes and the commit. W8 (upsert) is the
dialect's insert() with its conflict clause run through the session with a
list of rows, as SQLAlchemy 1.4's documentation shows it.

    /usr/bin/python3 bench_sqlalchemy.py URL RUNS
"""
import statistics
import sys
import time

from sqlalchemy import (BigInteger, Column, ForeignKey, Integer, String, Text,
                        DateTime, create_engine, func, select, delete)
from sqlalchemy.orm import Session, declarative_base, relationship, selectinload

Base = declarative_base()

USERS, POST_USERS, POSTS_PER_USER = 100000, 10000, 10
EAGER_USERS, GETS, UPDATES, DELETES = 10000, 10000, 10000, 10000
BODY = "A post body of a few dozen bytes, the same for every post of the benchmark."


class User(Base):
    __tablename__ = "users"
    id = Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    username = Column(String(50), unique=True, nullable=False)
    email = Column(String(255))
    created_at = Column(DateTime, nullable=False, server_default=func.now())
    posts = relationship("Post", back_populates="user")


class Post(Base):
    __tablename__ = "posts"
    id = Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id = Column(BigInteger, ForeignKey("users.id"), nullable=False, index=True)
    title = Column(String(100), nullable=False)
    body = Column(Text, nullable=False)
    score = Column(Integer, nullable=False, default=0)
    user = relationship("User", back_populates="posts")


def w1(engine):
    start = time.perf_counter()
    with Session(engine) as s:
        for i in range(1, USERS + 1):
            s.add(User(username="user%06d" % i, email="user%06d.v0@example.com" % i))
        s.commit()
    return time.perf_counter() - start


def w2(engine):
    start = time.perf_counter()
    with Session(engine) as s:
        users = s.execute(select(User)).scalars().all()
        assert len(users) == USERS
    return time.perf_counter() - start


def w3(engine):
    with Session(engine) as s:
        users = s.execute(select(User).order_by(User.id).limit(POST_USERS)).scalars().all()
        start = time.perf_counter()
        for u, user in enumerate(users):
            for n in range(POSTS_PER_USER):
                s.add(Post(title="post %d of user %d" % (n, u), body=BODY, user=user))
        s.commit()
        return time.perf_counter() - start


def w4(engine):
    start = time.perf_counter()
    with Session(engine) as s:
        users = s.execute(select(User).order_by(User.id).limit(EAGER_USERS)
                          .options(selectinload(User.posts))).scalars().all()
        assert len(users) == EAGER_USERS
    return time.perf_counter() - start


def w5(engine):
    start = time.perf_counter()
    seed = 12345
    with Session(engine) as s:
        for _ in range(GETS):
            seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
            s.get(User, (seed >> 33) % USERS + 1)
    return time.perf_counter() - start


version = [2000]


def w6(engine):
    version[0] += 1
    with Session(engine) as s:
        users = s.execute(select(User).order_by(User.id).limit(UPDATES)).scalars().all()
        start = time.perf_counter()
        for user in users:
            user.email = "user%06d.v%d@example.com" % (user.id, version[0])
        s.commit()
        return time.perf_counter() - start


def w7(engine):
    with Session(engine) as s:
        posts = s.execute(select(Post).order_by(Post.id).limit(DELETES)).scalars().all()
        start = time.perf_counter()
        for post in posts:
            s.delete(post)
        s.commit()
        return time.perf_counter() - start


def upsert_insert(engine):
    """The dialect's INSERT construct that has the conflict clause."""
    name = engine.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.mysql import insert
    stmt = insert(User.__table__)
    if name == "mysql":
        return stmt.on_duplicate_key_update(email=stmt.inserted.email)
    return stmt.on_conflict_do_update(index_elements=["username"],
                                      set_={"email": stmt.excluded.email})


def w8(engine):
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(User.__table__.insert(), [
            {"username": "user%06d" % i, "email": "user%06d.v0@example.com" % i}
            for i in range(1, USERS + 1, 2)])
    start = time.perf_counter()
    with Session(engine) as s:
        s.execute(upsert_insert(engine), [
            {"username": "user%06d" % i, "email": "user%06d.v8@example.com" % i}
            for i in range(1, USERS + 1)])
        s.commit()
    return time.perf_counter() - start


def main():
    url, runs = sys.argv[1], int(sys.argv[2])
    engine = create_engine(url)
    workloads = [w1, w2, w3, w4, w5, w6, w7, w8]
    times = [[] for _ in workloads]
    for _ in range(runs):
        for i, work in enumerate(workloads):
            if i == 0:
                Base.metadata.drop_all(engine)
                Base.metadata.create_all(engine)
            elif i == 2:
                with engine.begin() as conn:
                    conn.execute(delete(Post))
            times[i].append(work(engine))
    for i, t in enumerate(times):
        print("W%d %.6f" % (i + 1, statistics.median(t)))


if __name__ == "__main__":
    main()
