"""SQLAlchemy models equivalent to tests/interop/models.rt (the shop example
as its first revision made it).

Used by the Alembic interop test (interop.sh): Alembic's autogenerate made
alembic/versions/ from these models, and a database migrated by Alembic
must equal, for `retort check`, what retort makes from models.rt.

What it takes for the two to agree (docs in README.md):
- the naming convention below gives retort's default constraint names;
  the CHECK of a non-native enum (SQLite) is named ck_<table>_<column>_enum
  through the custom token ck_suffix;
- an integer primary key is BIGINT with an identity on PostgreSQL and
  INTEGER (the rowid) on SQLite: BigInteger().with_variant(Integer, "sqlite")
  and Identity();
- server defaults are SQL text as retort writes them (CURRENT_TIMESTAMP, 1),
  not Python values, which SQLAlchemy would quote;
- the enum keeps its CHECK on SQLite (create_constraint=True);
- the price CHECK is declared at table level, where autogenerate sees it;
- on MySQL and MariaDB, a DateTime is DATETIME(6) and a Text LONGTEXT, as
  retort's timestamp and text are there (SQLAlchemy's plain DateTime and
  Text are DATETIME, whole seconds, and TEXT, 64 KB): with_variant(...,
  "mysql") declares them.
"""
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import declarative_base, relationship


def _ck_suffix(constraint, table):
    """The part of a CHECK's name after ck_<table>_: the column of an
    enum's CHECK plus "_enum", else the name the model gave it."""
    if getattr(constraint, "_type_bound", False):
        column = list(constraint.sqltext.get_children())[0]
        while not isinstance(column, sa.Column):
            column = list(column.get_children())[0]
        return column.name + "_enum"
    return constraint.name


naming_convention = {
    "pk": "pk_%(table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    # %(constraint_name).0s prints nothing; it is there so that a CHECK
    # that has a name still goes through the convention.
    "ck": "ck_%(table_name)s_%(ck_suffix)s%(constraint_name).0s",
    "ck_suffix": _ck_suffix,
}

metadata = sa.MetaData(naming_convention=naming_convention)
Base = declarative_base(metadata=metadata)

# bigint primary key: the rowid on SQLite, an identity on PostgreSQL
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
NOW = sa.text("CURRENT_TIMESTAMP")
# retort's timestamp and text on MySQL/MariaDB: microseconds, up to 4 GB
DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
Text = sa.Text().with_variant(mysql.LONGTEXT(), "mysql")
CartStatus = sa.Enum("open", "paid", "shipped", name="cart_status", create_constraint=True)


class User(Base):
    __tablename__ = "users"
    id = sa.Column(Id, sa.Identity(), primary_key=True)
    username = sa.Column(sa.String(50), nullable=False, unique=True)
    email = sa.Column(sa.String(255))
    created_at = sa.Column(DateTime, nullable=False, server_default=NOW)
    posts = relationship("Post", back_populates="user")
    profile = relationship("Profile", back_populates="user", uselist=False)
    carts = relationship("Cart", back_populates="user")


class Profile(Base):
    __tablename__ = "profiles"
    id = sa.Column(Id, sa.Identity(), primary_key=True)
    user_id = sa.Column(sa.BigInteger(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                        nullable=False, unique=True)
    first_name = sa.Column(sa.String(50))
    last_name = sa.Column(sa.String(50))
    user = relationship("User", back_populates="profile")


class Post(Base):
    __tablename__ = "posts"
    id = sa.Column(Id, sa.Identity(), primary_key=True)
    title = sa.Column(sa.String(50), nullable=False, index=True)
    text = sa.Column(Text, nullable=False, default="", server_default="")
    user_id = sa.Column(sa.BigInteger(), sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(DateTime, nullable=False, server_default=NOW)
    user = relationship("User", back_populates="posts")


cart_product = sa.Table(
    "cart_product", metadata,
    sa.Column("cart_id", sa.BigInteger(), sa.ForeignKey("carts.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("product_id", sa.BigInteger(), sa.ForeignKey("products.id"), primary_key=True),
    sa.Column("quantity", sa.Integer(), nullable=False, default=1, server_default=sa.text("1")),
)


class Product(Base):
    __tablename__ = "products"
    # At table level: Alembic's autogenerate leaves out a CHECK given
    # inside a Column.
    __table_args__ = (sa.CheckConstraint("price >= 0", name="price"),)
    id = sa.Column(Id, sa.Identity(), primary_key=True)
    name = sa.Column(sa.String(20), nullable=False)
    description = sa.Column(Text)
    price = sa.Column(sa.Numeric(10, 2), nullable=False)
    carts = relationship("Cart", secondary=cart_product, back_populates="products")


class Cart(Base):
    __tablename__ = "carts"
    id = sa.Column(Id, sa.Identity(), primary_key=True)
    user_id = sa.Column(sa.BigInteger(), sa.ForeignKey("users.id"), nullable=False)
    status = sa.Column(CartStatus, nullable=False, default="open", server_default="open")
    user = relationship("User", back_populates="carts")
    products = relationship("Product", secondary=cart_product, back_populates="carts")
